using Dit.Contracts;
using System.Text.Json;
using System.Text.Json.Serialization;
using Dit.Platform.Http;
using Dit.Referrals.Keys;
using Dit.Referrals.Status;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;

namespace Dit.Referrals.Intake;

public sealed record WithdrawRequest(string? Reason);
