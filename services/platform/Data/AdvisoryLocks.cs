namespace Dit.Platform.Data;

/// <summary>The PostgreSQL advisory lock keys the services take, in one list so that no two mean different things by one key.</summary>
public static class AdvisoryLocks
{
    /// <summary>Held while a database is migrated: two processes starting at once migrate one after the other.</summary>
    public const long Migrations = 727274;

    /// <summary>Scheduling's bookings: shared by every booking, taken alone by one that lost a race twice (BookCourse).</summary>
    public const long Booking = 727275;

    /// <summary>Held while a row is added to the audit trail: each row's number and the hash it chains to are the last one's.</summary>
    public const long AuditTrail = 727276;
}
