namespace Dit.Referrals.Intake;

public sealed record IntakeResult(IntakeOutcome Outcome, Guid ReferralId, string Status);
