using System.Text.Json;
using Dapper;
using Dit.Contracts;
using Dit.Platform.Messaging;
using NodaTime;

namespace Dit.Referrals.Status;

public sealed record StatusChange(string Status, string? Detail, DateTimeOffset At);
