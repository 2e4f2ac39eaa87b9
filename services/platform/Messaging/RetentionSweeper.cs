using Dapper;
using Dit.Platform.Data;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NodaTime;

namespace Dit.Platform.Messaging;

/// <summary>
/// Keeps the outbox and the inbox from growing for ever: every <c>Messaging:Retention:SweepMinutes</c> (60) it deletes
/// outbox rows sent, and inbox rows recorded, more than <c>Messaging:Retention:Days</c> (7) ago, a thousand at a time.
/// Unsent outbox rows are never deleted. After the retention period a message can no longer be published again from
/// the outbox, and a copy of it arriving that late would not be recognised as a duplicate — a week is far longer than
/// any redelivery RabbitMQ or the relay makes. The audit trail is kept apart, for <c>Audit:RetentionYears</c> (8).
/// </summary>
public sealed class RetentionSweeper<TDatabase>(TDatabase database, IClock clock, IOptions<RetentionSettings> settings,
    IOptions<Audit.AuditSettings> audit, ILogger<RetentionSweeper<TDatabase>> logger) : BackgroundService where TDatabase : ServiceDatabase
{
    private const int Batch = 1000;
    private readonly Duration _retention = Duration.FromDays(settings.Value.Days);
    private readonly TimeSpan _interval = TimeSpan.FromMinutes(settings.Value.SweepMinutes);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_interval, stoppingToken);
                var (outbox, inbox) = await SweepAsync(stoppingToken);
                if (outbox + inbox > 0)
                    logger.LogInformation("{Service}: deleted {Outbox} sent outbox rows and {Inbox} inbox rows older than {Days} days",
                        database.Service, outbox, inbox, _retention.Days);
                var trail = await PruneAuditTrailAsync();
                if (trail > 0)
                    logger.LogInformation("{Service}: deleted {Rows} audit rows older than {Years} years", database.Service, trail, audit.Value.RetentionYears);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                logger.LogWarning(exception, "{Service}: retention sweep failed; trying again later", database.Service);
            }
        }
    }

    /// <returns>How many outbox and inbox rows were deleted.</returns>
    public async Task<(int Outbox, int Inbox)> SweepAsync(CancellationToken cancellationToken)
    {
        var cutoff = (clock.GetCurrentInstant() - _retention).ToUnixTimeMilliseconds();
        var outbox = await DeleteAsync(
            $"delete from outbox where id in (select id from outbox where sent_at is not null and sent_at < @cutoff limit {Batch})", cutoff, cancellationToken);
        var inbox = await DeleteAsync(
            $"""
            delete from inbox where (message_id, consumer) in
                (select message_id, consumer from inbox where processed_at < @cutoff limit {Batch})
            """, cutoff, cancellationToken);
        return (outbox, inbox);
    }

    /// <summary>Deletes audit rows older than <c>Audit:RetentionYears</c> (8), recording that it did (<see cref="Audit.AuditTrail.PruneAsync"/>).</summary>
    public Task<int> PruneAuditTrailAsync()
    {
        var now = clock.GetCurrentInstant();
        var cutoff = now.InUtc().LocalDateTime.PlusYears(-audit.Value.RetentionYears).InUtc().ToInstant();
        return Audit.AuditTrail.PruneAsync(database, cutoff, now);
    }

    private async Task<int> DeleteAsync(string sql, long cutoff, CancellationToken cancellationToken)
    {
        var total = 0;
        while (true)
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            var deleted = await connection.ExecuteAsync(new CommandDefinition(sql, new { cutoff }, cancellationToken: cancellationToken));
            total += deleted;
            if (deleted < Batch) return total;
        }
    }
}
