using System.Net;
using Dit.Referrals.Status;

namespace Dit.Referrals.Fhir;

/// <summary>
/// Sends BaRS news (<see cref="BarsNews"/>) to each referrer's endpoint as <c>POST</c> of <c>application/fhir+json</c>, with
/// the news's id as its <c>X-Request-Id</c> (the same on every try, so the receiver can tell a retry) and the referral's
/// original <c>X-Correlation-Id</c>. A referral's news goes in order: its next message waits until the one before is
/// delivered or refused. A message is claimed by moving its next attempt a lease ahead before the call, so a process that
/// stops mid-send leaves it to be tried again. A receiver that is down, busy or slow (no answer in 10 s, 408, 429, 5xx)
/// is tried again 1 s, 2 s, 4 s … up to every 5 minutes, while other referrals' news goes on; 409 means it has the message
/// already. Any other refusal (400, 422 …) is for good: kept with the receiver's answer, written on the referral's history
/// for the referrer and coordinators to see, and the referral's next news goes on.
/// </summary>
public sealed class BarsNewsSender(ReferralsDatabase database, IHttpClientFactory clients, IClock clock, ILogger<BarsNewsSender> logger) : BackgroundService
{
    public const string Client = "bars-news";
    private static readonly Duration Lease = Duration.FromMinutes(2);

    /// <summary>After this many failed tries the referral's history says its news is not getting through (once).</summary>
    private const int AttemptsBeforeShown = 10;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await SendDueAsync(stoppingToken) > 0) continue;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                logger.LogWarning(exception, "BaRS news dispatch failed; retrying");
            }
            try { await Task.Delay(TimeSpan.FromMilliseconds(500), stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }

    /// <returns>How many due messages this call attempted (at most 20, sent side by side).</returns>
    public async Task<int> SendDueAsync(CancellationToken cancellationToken)
    {
        var claimed = new List<Queued>();
        while (claimed.Count < 20 && await ClaimAsync(cancellationToken) is { } row) claimed.Add(row);
        await Task.WhenAll(claimed.Select(row => SendAsync(row, cancellationToken)));
        return claimed.Count;
    }

    private async Task<Queued?> ClaimAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant().ToUnixTimeMilliseconds();
        return await database.InTransactionAsync(async (connection, transaction) =>
        {
            // The oldest open message of each referral only: a referral's news goes in order.
            var row = await connection.QuerySingleOrDefaultAsync<Queued>(
                $"""
                select n.id as Id, n.referral_id as ReferralId, n.body as Body, n.attempts as Attempts
                from bars_news n
                where n.sent_at is null and n.refused_at is null and n.next_attempt_at <= @now
                  and not exists (select 1 from bars_news o
                                  where o.referral_id = n.referral_id and o.sent_at is null and o.refused_at is null and o.seq < n.seq)
                order by n.next_attempt_at, n.seq limit 1{database.Dialect.ClaimRowsSuffix}
                """, new { now }, transaction);
            if (row is null) return null;
            await connection.ExecuteAsync("update bars_news set next_attempt_at = @lease where id = @Id",
                new { row.Id, lease = now + Lease.TotalMilliseconds }, transaction);
            return row with { Reply = await BarsNews.ReplyOfAsync(connection, transaction, row.ReferralId) };
        }, cancellationToken, urgent: false);
    }

    private async Task SendAsync(Queued row, CancellationToken cancellationToken)
    {
        var (delivered, refusal, failure) = (false, (string?)null, (string?)null);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, row.Reply!.Endpoint)
            {
                Content = new StringContent(row.Body, System.Text.Encoding.UTF8, BarsOutcomes.FhirJson),
            };
            request.Headers.Add("X-Request-Id", row.Id);
            request.Headers.Add("X-Correlation-Id", row.Reply.CorrelationId);
            request.Headers.Accept.ParseAdd(BarsOutcomes.FhirJson);
            if (row.Reply.TargetIdentifier?.Split('|', 2) is [var system, var value])
                request.Headers.Add(BarsHeaders.TargetIdentifier, BarsHeaders.Encode(system, value));
            using var response = await clients.CreateClient(Client).SendAsync(request, cancellationToken);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.Conflict) delivered = true;
            else if (status is 408 or 429 or >= 500) failure = $"HTTP {status}";
            else refusal = $"HTTP {status}: {Shorten(await response.Content.ReadAsStringAsync(cancellationToken))}";
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            failure = exception.Message;
        }
        // Recorded even while stopping: a message that went is marked sent rather than sent again after its lease.
        await database.InTransactionAsync(async (connection, transaction) =>
        {
            var now = clock.GetCurrentInstant();
            var at = now.ToUnixTimeMilliseconds();
            if (delivered)
            {
                await connection.ExecuteAsync("update bars_news set sent_at = @at, attempts = attempts + 1 where id = @Id", new { row.Id, at }, transaction);
                return true;
            }
            var status = await connection.QuerySingleAsync<string>("select status from referrals where id = @ReferralId", new { row.ReferralId }, transaction);
            if (refusal is not null)
            {
                await connection.ExecuteAsync("update bars_news set refused_at = @at, attempts = attempts + 1, last_error = @refusal where id = @Id",
                    new { row.Id, at, refusal }, transaction);
                await ReferralHistory.AddAsync(connection, transaction, Guid.Parse(row.ReferralId), status,
                    $"The referrer's system refused our news of this referral ({refusal}); the next news goes on", now);
                // Only the status in the log: the receiver's words could quote the referral.
                logger.LogWarning("BaRS news {NewsId} for referral {ReferralId} was refused for good: {Status}", row.Id, row.ReferralId, refusal.Split(':')[0]);
                return true;
            }
            var delay = Duration.FromSeconds(Math.Min(300, Math.Pow(2, row.Attempts)));
            await connection.ExecuteAsync(
                "update bars_news set attempts = attempts + 1, last_error = @failure, next_attempt_at = @next where id = @Id",
                new { row.Id, failure, next = (now + delay).ToUnixTimeMilliseconds() }, transaction);
            if (row.Attempts + 1 == AttemptsBeforeShown)
                await ReferralHistory.AddAsync(connection, transaction, Guid.Parse(row.ReferralId), status,
                    $"Our news of this referral has not reached the referrer's system after {AttemptsBeforeShown} tries ({failure}); still trying", now);
            logger.LogWarning("BaRS news {NewsId} for referral {ReferralId} was not delivered (attempt {Attempt}), next try in {Delay}: {Error}",
                row.Id, row.ReferralId, row.Attempts + 1, delay, failure);
            return true;
        }, CancellationToken.None, urgent: false);
    }

    private static string Shorten(string text) => text.Length <= 500 ? text : text[..500] + "…";

    private sealed record Queued(string Id, string ReferralId, string Body, long Attempts)
    {
        public BarsNews.Reply? Reply { get; init; }
    }
}
