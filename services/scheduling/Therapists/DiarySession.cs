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

/// <param name="CourseSessions">How many sessions the session's course has (16, or up to 20 once extended).</param>
public sealed record DiarySession(Guid AppointmentId, Guid CourseId, Guid ReferralId, int SessionNumber, string LocalStart,
    DateTimeOffset StartUtc, string Status, string? Attendance, string? CancelledBy, string PatientInitials, int CourseSessions);
