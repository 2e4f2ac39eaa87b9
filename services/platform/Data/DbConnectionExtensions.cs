using System.Data.Common;

namespace Dit.Platform.Data;

public static class DbConnectionExtensions
{
    /// <summary>Runs <paramref name="work"/> in one transaction and commits it.</summary>
    /// <param name="urgent">Someone waits for it (<see cref="ServiceDatabase.WriteGateAsync"/>); background work passes false.</param>
    public static async Task<T> InTransactionAsync<T>(this ServiceDatabase database,
        Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken = default, bool urgent = true)
    {
        using var gate = await database.WriteGateAsync(urgent, cancellationToken);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var result = await work(connection, transaction);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }
}
