using Dit.Scheduling.Review;

namespace Dit.Scheduling.Booking;

/// <summary>Books a course for every accepted referral, once.</summary>
public sealed class BookCourse(SchedulingDatabase database, CourseBooker booker, IClock clock, ILogger<BookCourse> logger)
    : IConsumer<ReferralForBooking>
{
    private const int Attempts = 5;

    public async Task Consume(ConsumeContext<ReferralForBooking> context)
    {
        try
        {
            Check(context.Message, CourseShape.Today(clock));
            await BookAsync(context);
        }
        catch (Exception exception) when (!Faults.IsTransient(exception))
        {
            // Bad data or a bug: no retry can help, and the one booking lane must not wait on it. The referral goes on the
            // coordinators' review list with the reason; the message to the error queue.
            var reason = Faults.Describe(exception);
            logger.LogError("Referral {ReferralId} cannot be booked: {Reason}; on the review list", context.Message.ReferralId, reason);
            await BookingNeedsAttention.RecordAsync(database, context.Message, $"Could not be booked: {reason}", clock.GetCurrentInstant());
            throw;
        }
    }

    /// <summary>
    /// What intake promises, checked again for a message from anywhere on the bus: a known zone and an earliest start
    /// the search can count from without leaving NodaTime's range (year 9999 stalled booking: issue 20).
    /// </summary>
    private static void Check(ReferralForBooking referral, LocalDate today)
    {
        if (DateTimeZoneProviders.Tzdb.GetZoneOrNull(referral.TimeZone) is null)
            throw new UnbookableReferralException($"Unknown time zone '{referral.TimeZone}'.");
        if (!DateInput.IsNear(LocalDate.FromDateOnly(referral.EarliestStart), today))
            throw new UnbookableReferralException($"Earliest start {referral.EarliestStart:yyyy-MM-dd} is not within {DateInput.YearsAround} years of today.");
        if (referral.Availability is not { Count: > 0 })
            throw new UnbookableReferralException("No availability windows.");
    }

    private async Task BookAsync(ConsumeContext<ReferralForBooking> context)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                CourseBooked? booked = null;
                await database.ConsumeOnceAsync(context, nameof(BookCourse), clock, async (connection, transaction) =>
                {
                    // Bookings run side by side, and the loser of a race for a slot searches again. Under a burst the
                    // same referral can keep losing (everyone wants the earliest free hour), so after two losses it
                    // books alone: it waits for the bookings in progress, and no other starts until it is done.
                    if (database.Dialect.TransactionLockSql(Dit.Platform.Data.AdvisoryLocks.Booking, exclusive: attempt > 2) is { Length: > 0 } takeLock)
                        await connection.ExecuteAsync(takeLock, transaction: transaction);
                    booked = await booker.BookOrWaitlistAsync(connection, transaction, context.Message);
                });
                if (booked is not null)
                    logger.LogInformation("Referral {ReferralId} booked: course {CourseId}, {Weekday}s {Time}",
                        context.Message.ReferralId, booked.CourseId, booked.Weekday, booked.LocalTime);
                return;
            }
            catch (Exception exception) when ((exception is LostRaceException || database.Dialect.IsUniqueViolation(exception)) && attempt < Attempts)
            {
                // Another booking took one of these times between our search and our insert: search again.
                logger.LogInformation("Referral {ReferralId}: lost a race for a slot, searching again (attempt {Attempt})",
                    context.Message.ReferralId, attempt);
            }
        }
    }
}
