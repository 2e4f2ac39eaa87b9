using Microsoft.Extensions.Options;
using System.Text.Json;
using Dit.Scheduling.Booking;
using Dit.Scheduling.Review;

namespace Dit.Scheduling.Waitlist;

/// <summary>
/// Tries the waitlist again, oldest first, when capacity may have freed and on a timer
/// (<c>Scheduling:Waitlist:RetrySeconds</c>, default 300). Every try searches from now (plus the lead time), so the
/// waitlist moves with the calendar; one that still fails records why and when. Each referral booked leaves the waitlist
/// in the same transaction as its course; several processes share the work (rows are claimed).
/// </summary>
public sealed class WaitlistRetry(SchedulingDatabase database, CourseBooker booker, CourseSearch search, WaitlistSignal signal, IClock clock,
    IOptions<WaitlistSettings> settings, ILogger<WaitlistRetry> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await signal.WaitAsync(TimeSpan.FromSeconds(settings.Value.RetrySeconds), stoppingToken);
                await RetryAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                logger.LogWarning(exception, "Waitlist retry failed; trying again later");
            }
        }
    }

    /// <returns>How many waiting referrals were booked.</returns>
    /// <remarks>
    /// The diaries are read once per round and every waiting referral is searched in memory; only one that fits is
    /// booked, in its own transaction that searches again against the database (and may lose a race). One that does not
    /// fit gets its reason and the time of the try. A long waitlist so costs one read of the diaries, not one each.
    /// </remarks>
    public async Task<int> RetryAsync(CancellationToken cancellationToken)
    {
        List<(string ReferralId, string Json, long? ExplainedAt)> waiting;
        ClosedDays closed;
        List<TherapistDiary> diaries;
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            waiting = (await connection.QueryAsync<(string, string, long?)>(
                "select referral_id, request_json, explained_at from waitlist order by since, referral_id")).ToList();
            if (waiting.Count == 0) return 0;
            closed = await ClosedDays.LoadAsync(connection, null);
            diaries = await LoadDiariesAsync(connection);
        }

        var booked = 0;
        var tried = new List<(string ReferralId, string? Reason)>();
        foreach (var (referralId, json, explainedAt) in waiting)
        {
            var referral = JsonSerializer.Deserialize<ReferralForBooking>(json, MessageJson.Options)!;
            try
            {
                var attempt = await TryOneAsync(referral, explainedAt, closed, diaries, cancellationToken);
                if (attempt.NothingFits) tried.Add((referralId, attempt.Reason));
                if (attempt.Course is null) continue;
                booked++;
                await using var connection = await database.OpenAsync(cancellationToken);
                diaries = await LoadDiariesAsync(connection);
            }
            catch (Exception exception) when (!Faults.IsTransient(exception) && !cancellationToken.IsCancellationRequested)
            {
                // Data booking cannot use (stored before the door was shut) or a bug: this referral leaves the waitlist for
                // the coordinators' review list with the reason, and the round goes on for everyone behind it.
                var reason = Faults.Describe(exception);
                logger.LogError("Waitlisted referral {ReferralId} cannot be booked: {Reason}; on the review list", referralId, reason);
                await BookingNeedsAttention.RecordAsync(database, referral, $"Could not be booked from the waitlist: {reason}", clock.GetCurrentInstant());
            }
        }
        await RecordTriedAsync(tried, cancellationToken);
        return booked;
    }

    /// <summary>One waiting referral tried: booked, or nothing fits (with its reason when worked out again), or neither (taken meanwhile, a race lost).</summary>
    private sealed record WaitlistTry(CourseBooked? Course, bool NothingFits = false, string? Reason = null);

    private async Task<WaitlistTry> TryOneAsync(ReferralForBooking referral, long? explainedAt, ClosedDays closed, List<TherapistDiary> diaries,
        CancellationToken cancellationToken)
    {
        var request = booker.RequestFor(referral, closed);
        if (search.FindBest(request, diaries) is null)
        {
            // The reason takes a year-ahead search: worked out again once a week, not on every try.
            var stale = explainedAt is null || clock.GetCurrentInstant() - Instant.FromUnixTimeMilliseconds(explainedAt.Value) >= Duration.FromDays(7);
            return new WaitlistTry(null, NothingFits: true, stale ? booker.WhyNothingFits(request, diaries) : null);
        }
        var referralId = referral.ReferralId.ToString();
        try
        {
            var course = await database.InTransactionAsync(async (connection, transaction) =>
            {
                // The referral's lock before its row's, in the same order as a withdrawal takes them.
                await database.Dialect.LockAsync(connection, transaction, referral.ReferralId);
                var claimed = await connection.QuerySingleOrDefaultAsync<string>(
                    $"select request_json from waitlist where referral_id = @referralId{database.Dialect.ClaimRowsSuffix}",
                    new { referralId }, transaction);
                if (claimed is null) return null;   // booked or claimed by another process meanwhile
                return (await booker.TryBookAsync(connection, transaction, referral)).Booked;
            }, cancellationToken);
            if (course is not null) logger.LogInformation("Waitlisted referral {ReferralId} booked: course {CourseId}", referralId, course.CourseId);
            return new WaitlistTry(course);
        }
        catch (Exception exception) when (exception is LostRaceException || database.Dialect.IsUniqueViolation(exception))
        {
            logger.LogInformation("Waitlisted referral {ReferralId} lost a race; next round", referralId);
            return new WaitlistTry(null);
        }
    }

    /// <summary>One write for the round: when each still-waiting referral was tried, and its reason where worked out again.</summary>
    private Task RecordTriedAsync(List<(string ReferralId, string? Reason)> tried, CancellationToken cancellationToken) =>
        tried.Count == 0 ? Task.CompletedTask : database.InTransactionAsync(async (connection, transaction) =>
        {
            var now = clock.GetCurrentInstant().ToUnixTimeMilliseconds();
            foreach (var (referralId, reason) in tried)
                await connection.ExecuteAsync(reason is null
                        ? "update waitlist set last_tried = @now where referral_id = @referralId"
                        : "update waitlist set reason = @reason, last_tried = @now, explained_at = @now where referral_id = @referralId",
                    new { referralId, reason, now }, transaction);
            return true;
        }, cancellationToken);

    /// <summary>Every therapist's diary from now to a year and a course ahead, enough for the search and for saying why nothing fits.</summary>
    private Task<List<TherapistDiary>> LoadDiariesAsync(System.Data.Common.DbConnection connection)
    {
        var now = clock.GetCurrentInstant();
        return Diaries.LoadAsync(connection, null, now, now + booker.YearAhead);
    }
}
