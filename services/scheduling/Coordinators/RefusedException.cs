using Dapper;
using Dit.Contracts;
using Dit.Platform.Data;
using Dit.Platform.Http;
using Dit.Platform.Messaging;
using Dit.Scheduling.Booking;
using Dit.Scheduling.Waitlist;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;
using NodaTime.Extensions;

namespace Dit.Scheduling.Coordinators;

/// <summary>Carries a refusal out of the transaction so that nothing it did is kept.</summary>
public sealed class RefusedException(MoveRefusal refusal) : Exception(refusal.Message)
{
    public MoveRefusal Refusal { get; } = refusal;
}
