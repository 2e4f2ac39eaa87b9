namespace Dit.Referrals.Intake;

public sealed record WithdrawRequest(string? Reason);
