using Dit.Contracts;
using Dit.Platform.Data;
using Dapper;
using Dit.Platform.Http;
using Dit.Scheduling.Coordinators;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;

namespace Dit.Scheduling.Progress;

public sealed record ClinicalReviewEntry(Guid CourseId, Guid ReferralId, string PatientInitials, string Therapist, DateTimeOffset Since, int Session);
