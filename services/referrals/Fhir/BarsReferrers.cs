using System.Text.RegularExpressions;

namespace Dit.Referrals.Fhir;

/// <summary>
/// A referring service's BaRS details, kept by an administrator beside its key: its ODS code — every message's
/// <c>NHSD-End-User-Organisation</c> must name it, so a key cannot send in another organisation's name — and where its news
/// goes (its own <c>$process-message</c>, or the BaRS proxy's). Only a referrer with an ODS code may use the FHIR edge.
/// </summary>
public static partial class BarsReferrers
{
    public sealed record Details(string OdsCode, string? NewsEndpoint);

    public static async Task<Details?> FindAsync(ReferralsDatabase database, string referrerId)
    {
        await using var connection = await database.OpenAsync();
        return await connection.QuerySingleOrDefaultAsync<Details>(
            "select ods_code as OdsCode, news_endpoint as NewsEndpoint from referrer_fhir where referrer_id = @referrerId", new { referrerId });
    }

    public static async Task<Dictionary<string, Details>> AllAsync(ReferralsDatabase database)
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<(string Id, string OdsCode, string? NewsEndpoint)>(
                "select referrer_id, ods_code, news_endpoint from referrer_fhir"))
            .ToDictionary(r => r.Id, r => new Details(r.OdsCode, r.NewsEndpoint));
    }

    public static async Task SetAsync(ReferralsDatabase database, string referrerId, Details details)
    {
        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync(
            """
            insert into referrer_fhir (referrer_id, ods_code, news_endpoint) values (@referrerId, @OdsCode, @NewsEndpoint)
            on conflict (referrer_id) do update set ods_code = excluded.ods_code, news_endpoint = excluded.news_endpoint
            """, new { referrerId, details.OdsCode, details.NewsEndpoint });
    }

    /// <summary>An ODS code: 3 to 10 letters and digits (A1001, RX1, Y05868); upper case.</summary>
    public static string? OdsCodeOf(string? value) =>
        value?.Trim().ToUpperInvariant() is { } code && OdsCode().IsMatch(code) ? code : null;

    /// <summary>
    /// Where news may be sent: https, or http to this machine only (a receiver under test). Anything else — another
    /// scheme, a user name in the address, a fragment — is refused, so that a key cannot make this service call out at will.
    /// </summary>
    public static bool IsSendableEndpoint(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.UserInfo == "" && uri.Fragment == ""
        && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback));

    /// <summary>Whether <paramref name="address"/> is the registered endpoint or below it: the same scheme, host and port, and its path under the endpoint's.</summary>
    public static bool IsUnder(Uri address, string registered)
    {
        if (!Uri.TryCreate(registered, UriKind.Absolute, out var endpoint)) return false;
        if (address.Scheme != endpoint.Scheme || !address.IdnHost.Equals(endpoint.IdnHost, StringComparison.OrdinalIgnoreCase) || address.Port != endpoint.Port)
            return false;
        var path = endpoint.AbsolutePath.TrimEnd('/');
        return address.AbsolutePath == path || address.AbsolutePath.StartsWith(path + "/", StringComparison.Ordinal);
    }

    [GeneratedRegex("^[A-Z0-9]{3,10}$")]
    private static partial Regex OdsCode();
}
