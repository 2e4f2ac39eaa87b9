namespace Dit.Scheduling.Booking;

/// <summary>
/// One booking at a time in each scheduling process: bookings all want the earliest free hour of the lightest
/// therapist, so running several side by side mostly makes them lose races and search again (measured in
/// docs/benchmarks.md). Processes still race one another; <see cref="BookCourse"/> handles that.
/// </summary>
public sealed class BookCourseDefinition : ConsumerDefinition<BookCourse>
{
    public BookCourseDefinition() => ConcurrentMessageLimit = 1;
}
