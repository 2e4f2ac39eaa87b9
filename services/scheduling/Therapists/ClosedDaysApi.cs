using Dit.Scheduling.Booking;
using Dit.Scheduling.Coordinators;
using Dit.Scheduling.Waitlist;

namespace Dit.Scheduling.Therapists;

/// <summary>
/// Days the whole service is closed: England and Wales bank holidays for any year (<see cref="BankHolidays"/>), and
/// the one-off days coordinators add; a coordinator may also open a bank holiday.
/// </summary>
public static class ClosedDaysApi
{
    public static IEndpointRouteBuilder MapClosedDaysApi(this IEndpointRouteBuilder app)
    {
        var days = app.MapStaffGroup("/api/closed-days", "Closed days", CoordinatorAccess.Coordinator, CoordinatorAccess.Administrator);
        days.MapGet("/", ListAsync).WithSummary("Days the service is closed (default: this year and next)");
        days.MapPost("/", AddAsync).WithSummary("Close the service on a day").For(CoordinatorAccess.Administrator);
        days.MapDelete("/{date}", RemoveAsync).WithSummary("Open the service on a day again (a one-off day or a bank holiday)")
            .For(CoordinatorAccess.Administrator);
        return app;
    }

    public static async Task<Results<Ok<List<ClosedDayView>>, ProblemHttpResult>> ListAsync([DateText] string? from, [DateText] string? to, SchedulingDatabase database,
        BookingRules rules, IClock clock)
    {
        var today = CourseShape.Today(clock);
        string? fromError = null, toError = null;
        var fromDate = from is null ? new LocalDate(today.Year, 1, 1) : DateInput.ReadDate(from, today, out fromError);
        var toDate = to is null ? new LocalDate(today.Year + 1, 12, 31) : DateInput.ReadDate(to, today, out toError);
        if (fromError is not null) return Problems.BadRequest("from", fromError);
        if (toError is not null) return Problems.BadRequest("to", toError);
        if (toDate < fromDate) return Problems.BadRequest("to", "On or after 'from'.");
        await using var connection = await database.OpenAsync();
        var closed = await ClosedDays.LoadAsync(connection, null);
        return TypedResults.Ok(closed.Between(fromDate!.Value, toDate!.Value)
            .Select(d => new ClosedDayView(TherapistsApi.Format(d.Date), d.Name, d.BankHoliday)).ToList());
    }

    public static async Task<Results<Created<ClosedDay>, ProblemHttpResult>> AddAsync(ClosedDay request, SchedulingDatabase database,
        BookingRules rules, IClock clock)
    {
        var date = DateInput.ReadDate(request.Date, CourseShape.Today(clock), out var dateError);
        var errors = new Dictionary<string, string[]>();
        if (dateError is not null) errors["date"] = [dateError];
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 100) errors["name"] = ["Required, at most 100 characters."];
        if (errors.Count > 0) return Problems.BadRequest(errors);
        var day = new ClosedDay(TherapistsApi.Format(date!.Value), request.Name.Trim());
        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync("delete from opened_days where day = @Date", day);
        if (BankHolidays.In(date.Value.Year).ContainsKey(date.Value))
            await connection.ExecuteAsync("delete from closed_days where day = @Date", day);
        else
            await connection.ExecuteAsync("insert into closed_days (day, name) values (@Date, @Name) on conflict (day) do update set name = excluded.name", day);
        return TypedResults.Created($"/api/closed-days/{day.Date}", day);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RemoveAsync([DateText] string date, SchedulingDatabase database, WaitlistSignal waitlist,
        BookingRules rules, IClock clock)
    {
        if (DateInput.ReadDate(date, CourseShape.Today(clock), out var dateError) is not { } day) return Problems.BadRequest("date", dateError!);
        await using var connection = await database.OpenAsync();
        var removed = await connection.ExecuteAsync("delete from closed_days where day = @date", new { date });
        if (removed == 0 && BankHolidays.In(day.Year).ContainsKey(day))
            removed = await connection.ExecuteAsync("insert into opened_days (day) values (@date) on conflict do nothing", new { date });
        if (removed == 0) return Problems.NotFound("Not a closed day");
        waitlist.CapacityChanged();
        return TypedResults.NoContent();
    }
}
