using System.Globalization;
using System.Text;
using Dit.Platform.Data;
using Dit.Platform.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using NodaTime;

namespace Dit.Platform.Audit;

/// <summary>
/// <c>GET /api/audit/{service}?referralId=…</c>: who looked at or changed a referral in this service, for the clinical
/// lead — as JSON, or with <c>format=csv</c> as a file for an information-governance request. Reading a trail is itself
/// on the trail (<c>audit.read</c>).
/// </summary>
public static class AuditTrailApi
{
    public static void MapAuditTrailApi<TDatabase>(this IEndpointRouteBuilder app, string service) where TDatabase : ServiceDatabase
    {
        app.MapGet($"/api/audit/{service}", (string? referralId, string? format, TDatabase database, HttpContext http) => ReadAsync(referralId, format, database, http, service))
            .WithGroupName(service).WithTags("Audit trail")
            .WithSummary("Who read or changed a referral here, oldest first (clinical lead; format=csv for a file)")
            .RequireRateLimiting(RateLimits.PerKey)
            .RequireAuthorization(StaffTokens.ClinicalLead);
    }

    private static async Task<IResult> ReadAsync(string? referralId, string? format, ServiceDatabase database, HttpContext http, string service)
    {
        if (referralId is null || !Guid.TryParse(referralId, out var id)) return Problems.BadRequest("referralId", "The referral's id.");
        if (format is not (null or "json" or "csv")) return Problems.BadRequest("format", "'json' (the default) or 'csv'.");
        IReadOnlyList<AuditRow> rows;
        await using (var connection = await database.OpenAsync())
            rows = await AuditTrail.ForReferralAsync(connection, id.ToString());
        await http.AuditReadAsync(database, new AuditEntry("audit.read", id.ToString(), null));
        var entries = rows.Select(r => new AuditView(r.Seq, Instant.FromUnixTimeMilliseconds(r.At).ToDateTimeOffset(), r.ActorRole, r.ActorId,
            r.ActorName, r.OnBehalfOf, r.ReferralId, r.CourseId, r.Action, r.Changes, r.TraceId)).ToList();
        return format == "csv"
            ? Results.File(Encoding.UTF8.GetBytes(Csv(entries)), "text/csv; charset=utf-8", $"audit-{service}-{id}.csv")
            : TypedResults.Ok(entries);
    }

    private static string Csv(IEnumerable<AuditView> entries)
    {
        var csv = new StringBuilder("row,at,actorRole,actorId,actorName,onBehalfOf,referralId,courseId,action,changes,traceId\r\n");
        foreach (var e in entries)
            csv.AppendJoin(',', new[]
            {
                e.Row.ToString(CultureInfo.InvariantCulture), e.At.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
                e.ActorRole, e.ActorId, e.ActorName, e.OnBehalfOf, e.ReferralId, e.CourseId, e.Action, e.Changes, e.TraceId,
            }.Select(Cell)).Append("\r\n");
        return csv.ToString();
    }

    /// <summary>RFC 4180 quoting; a cell a spreadsheet would run as a formula (=, +, -, @) is prefixed with an apostrophe.</summary>
    private static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r') value = "'" + value;
        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? $"\"{value.Replace("\"", "\"\"")}\"" : value;
    }
}
