using Dit.Contracts;
using Dapper;
using Dit.Platform.Data;
using Dit.Platform.Http;
using Dit.Scheduling.Booking;
using Dit.Scheduling.Coordinators;
using Dit.Scheduling.Waitlist;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;
using NodaTime.Text;

namespace Dit.Scheduling.Therapists;

public sealed record LeaveRequest([property: DateText] string? From, [property: DateText] string? To, string? Reason);
