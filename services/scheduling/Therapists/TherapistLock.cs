namespace Dit.Scheduling.Therapists;

/// <summary>
/// A therapist's row lock, held to the end of the transaction (a no-op update takes it): whoever books, moves or
/// reassigns a session of theirs, or changes their hours, waits for whoever holds it — so the diary and the weekly cap
/// one writer checks include every booking committed before it. (On SQLite the write lock already serialises writers.)
/// </summary>
public static class TherapistLock
{
    /// <returns>False when there is no such therapist.</returns>
    public static async Task<bool> TakeAsync(DbConnection connection, DbTransaction transaction, string therapistId) =>
        await connection.ExecuteAsync("update therapists set name = name where id = @id", new { id = therapistId }, transaction) == 1;
}
