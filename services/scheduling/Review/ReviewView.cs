namespace Dit.Scheduling.Review;

/// <param name="Attention">Why booking could not take the referral (null for a referral that reported risk): put it right, then accept to book it again.</param>
public sealed record ReviewView(Guid ReferralId, string ReferrerReference, string? RiskNotes, string? PresentingProblem,
    string EarliestStart, DateTimeOffset ReceivedAt, int WaitingMinutes, string? Attention = null);
