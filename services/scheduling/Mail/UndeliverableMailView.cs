namespace Dit.Scheduling.Mail;

public sealed record UndeliverableMailView(Guid ReferralId, Guid? CourseId, string? PatientInitials, string Kind, string Reason, int Rejections, DateTimeOffset At, string Channel);
