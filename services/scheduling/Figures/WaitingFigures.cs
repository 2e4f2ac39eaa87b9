namespace Dit.Scheduling.Figures;

/// <summary>Referrals on the waitlist by how many weeks they have waited; and those waiting for a coordinator's review.</summary>
public sealed record WaitingFigures(int Waiting, int InReview, int UnderTwoWeeks, int TwoToSixWeeks, int SixToEighteenWeeks, int OverEighteenWeeks, double LongestWeeks);
