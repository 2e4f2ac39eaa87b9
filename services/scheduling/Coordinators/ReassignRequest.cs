using Dapper;
using Dit.Contracts;
using Dit.Platform.Data;
using Dit.Platform.Http;
using Dit.Platform.Messaging;
using Dit.Scheduling.Booking;
using Dit.Scheduling.Therapists;
using Dit.Scheduling.Waitlist;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;

namespace Dit.Scheduling.Coordinators;

public sealed record ReassignRequest(int? FromSession, Guid? TherapistId);
