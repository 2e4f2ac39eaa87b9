using System.Data.Common;
using Dit.Platform.Data;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace Dit.Platform.Audit;

/// <summary>An endpoint's caller on the audit trail of the service that served it.</summary>
public static class RequestAudit
{
    /// <summary>Records a change by this request's caller in the change's own transaction: both commit, or neither.</summary>
    public static Task AuditAsync(this HttpContext http, DbConnection connection, DbTransaction transaction, ServiceDatabase database, AuditEntry entry) =>
        AuditTrail.AppendAsync(connection, transaction, database.Dialect, Auditor.Of(http), entry,
            http.RequestServices.GetRequiredService<IClock>().GetCurrentInstant());

    /// <summary>Records that this request's caller read a patient's record (its own transaction).</summary>
    public static Task AuditReadAsync(this HttpContext http, ServiceDatabase database, AuditEntry entry) => http.AuditReadsAsync(database, [entry]);

    /// <summary>Records that this request's caller was shown each of these records (one row each, one transaction).</summary>
    public static Task AuditReadsAsync(this HttpContext http, ServiceDatabase database, IEnumerable<AuditEntry> entries) =>
        database.InTransactionAsync(async (connection, transaction) =>
        {
            foreach (var entry in entries) await http.AuditAsync(connection, transaction, database, entry);
            return true;
        });
}
