using Dapper;
using Dit.Contracts;
using Dit.Platform.Messaging;
using Dit.Scheduling.Coordinators;
using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;

namespace Dit.Scheduling.Mail;

public sealed record UndeliverableMailView(Guid ReferralId, Guid? CourseId, string? PatientInitials, string Kind, string Reason, int Rejections, DateTimeOffset At);
