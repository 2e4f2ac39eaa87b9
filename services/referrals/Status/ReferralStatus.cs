namespace Dit.Referrals.Status;

public static class ReferralStatus
{
    public const string Received = "received";
    public const string NeedsReview = "needs-review";
    public const string Booked = "booked";
    public const string Waitlisted = "waitlisted";
    public const string Cancelled = "cancelled";
    public const string Completed = "completed";

    /// <summary>
    /// Where a referral may go from where it is. Booked only from received (accepted at intake or after review) or
    /// waitlisted; waitlisted only before it is booked; completed only from booked (its course ran to the end); cancelled
    /// from anywhere but cancelled or completed. Messages arrive late and
    /// out of order: a booking that reaches a withdrawn referral, or a waitlisting that reaches a booked one, is refused.
    /// </summary>
    public static bool MayMove(string from, string to) => (from, to) switch
    {
        (Cancelled or Completed, _) => false,
        (Booked, Completed) => true,
        (_, Cancelled) => true,
        (Received, NeedsReview or Booked or Waitlisted) => true,
        (Waitlisted, NeedsReview) => true,   // the waitlist could not book it: a coordinator looks at it (issue 20)
        (NeedsReview, Received) => true,
        (Waitlisted, Booked) => true,
        _ => false,
    };
}
