using Dapper;
using Dit.Platform.Http;
using Dit.Scheduling.Coordinators;
using Dit.Scheduling.Waitlist;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dit.Scheduling.Therapists;

/// <summary>Days the whole service is closed: England and Wales bank holidays 2026–2028 are shipped; coordinators edit the list.</summary>
public static class ClosedDaysApi
{
    public static IEndpointRouteBuilder MapClosedDaysApi(this IEndpointRouteBuilder app)
    {
        var days = app.MapCoordinatorGroup("/api/closed-days", "Closed days");
        days.MapGet("/", ListAsync).WithSummary("Days the service is closed");
        days.MapPost("/", AddAsync).WithSummary("Close the service on a day");
        days.MapDelete("/{date}", RemoveAsync).WithSummary("Open the service on a day again");
        return app;
    }

    public static async Task<Ok<List<ClosedDay>>> ListAsync(SchedulingDatabase database)
    {
        await using var connection = await database.OpenAsync();
        return TypedResults.Ok((await connection.QueryAsync<(string Day, string Name)>("select day, name from closed_days order by day"))
            .Select(d => new ClosedDay(d.Day, d.Name)).ToList());
    }

    public static async Task<Results<Created<ClosedDay>, ProblemHttpResult>> AddAsync(ClosedDay request, SchedulingDatabase database)
    {
        var date = request.Date is null ? null : TherapistsApi.ParseDate(request.Date);
        var errors = new Dictionary<string, string[]>();
        if (date is null) errors["date"] = ["A date, YYYY-MM-DD."];
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 100) errors["name"] = ["Required, at most 100 characters."];
        if (errors.Count > 0) return Problems.BadRequest(errors);
        var day = new ClosedDay(TherapistsApi.Format(date!.Value), request.Name.Trim());
        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync("insert into closed_days (day, name) values (@Date, @Name) on conflict (day) do update set name = excluded.name", day);
        return TypedResults.Created($"/api/closed-days/{day.Date}", day);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RemoveAsync(string date, SchedulingDatabase database, WaitlistSignal waitlist)
    {
        await using var connection = await database.OpenAsync();
        if (await connection.ExecuteAsync("delete from closed_days where day = @date", new { date }) == 0) return Problems.NotFound("Not a closed day");
        waitlist.CapacityChanged();
        return TypedResults.NoContent();
    }
}
