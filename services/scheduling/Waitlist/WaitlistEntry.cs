using Dapper;
using Dit.Platform.Http;
using Dit.Scheduling.Coordinators;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;

namespace Dit.Scheduling.Waitlist;

public sealed record WaitlistEntry(int Position, Guid ReferralId, string Reason, DateTimeOffset Since, int WaitingMinutes, DateTimeOffset LastTried);
