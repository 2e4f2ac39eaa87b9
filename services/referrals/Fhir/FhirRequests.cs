namespace Dit.Referrals.Fhir;

/// <summary>The X-Request-Ids of the BaRS messages each referrer sent that were processed (answered 200).</summary>
public static class FhirRequests
{
    public static async Task<bool> SeenAsync(ReferralsDatabase database, string referrerId, string requestId)
    {
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>(
            "select count(*) from fhir_requests where referrer_id = @referrerId and request_id = @requestId", new { referrerId, requestId = requestId.ToLowerInvariant() }) > 0;
    }

    public static async Task RecordAsync(ReferralsDatabase database, string referrerId, string requestId, Guid referralId, Instant now)
    {
        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync(
            "insert into fhir_requests (referrer_id, request_id, referral_id, at) values (@referrerId, @requestId, @referralId, @now) on conflict do nothing",
            new { referrerId, requestId = requestId.ToLowerInvariant(), referralId = referralId.ToString(), now = now.ToUnixTimeMilliseconds() });
    }
}
