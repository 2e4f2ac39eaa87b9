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

/// <summary>A week a course skips: the date its weekly session would have had.</summary>
public sealed record SkippedWeekView(Guid CourseId, string PatientInitials, string Date);
