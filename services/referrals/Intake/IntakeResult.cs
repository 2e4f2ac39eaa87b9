using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using Dit.Contracts;
using Dit.Platform.Data;
using Dit.Platform.Messaging;
using Dit.Referrals.Status;
using NodaTime;

namespace Dit.Referrals.Intake;

public sealed record IntakeResult(IntakeOutcome Outcome, Guid ReferralId, string Status);
