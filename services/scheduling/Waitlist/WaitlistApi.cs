using System.Globalization;
using System.Text.Json;
using Dit.Scheduling.Booking;
using Dit.Scheduling.Coordinators;

namespace Dit.Scheduling.Waitlist;

public static class WaitlistApi
{
    public static IEndpointRouteBuilder MapWaitlistApi(this IEndpointRouteBuilder app)
    {
        var waitlist = app.MapStaffGroup("/api/waitlist", "Waitlist", CoordinatorAccess.Coordinator);
        waitlist.MapGet("/", ListAsync)
            .WithSummary("Referrals waiting for a course, first come first served: how long each has waited, why nothing fits yet, when it was last tried");
        waitlist.MapGet("/{referralId}/suggestions", SuggestionsAsync)
            .WithSummary("The weekly hours nearest the patient's own at which a course would start within 6 weeks (patient's time), up to 3");
        waitlist.MapPost("/{referralId}/windows", AddWindowAsync)
            .WithSummary("Add a weekly window the patient agreed to, with the reason, and book at once if a course now fits");
        return app;
    }

    /// <summary>The waiting referral's request as the waitlist keeps it; null when it is not waiting.</summary>
    private static async Task<ReferralForBooking?> WaitingAsync(DbConnection connection, DbTransaction? transaction, string referralId, string lockSuffix = "")
    {
        var json = await connection.QuerySingleOrDefaultAsync<string>(
            $"select request_json from waitlist where referral_id = @referralId{lockSuffix}", new { referralId }, transaction);
        return json is null ? null : JsonSerializer.Deserialize<ReferralForBooking>(json, MessageJson.Options)!;
    }

    public static async Task<Results<Ok<List<WindowSuggestion>>, ProblemHttpResult>> SuggestionsAsync(string referralId, SchedulingDatabase database,
        CourseBooker booker, BookingRules rules, NearestWindows nearest, HttpContext http)
    {
        if (!Guid.TryParse(referralId, out _)) return Problems.NotFound("No such waiting referral");
        await using var connection = await database.OpenAsync();
        if (await WaitingAsync(connection, null, referralId) is not { } waiting) return Problems.NotFound("No such waiting referral");
        var request = booker.RequestFor(waiting, await ClosedDays.LoadAsync(connection, null));
        var from = CourseSearch.NotBefore(request);
        var diaries = await Diaries.LoadAsync(connection, null, from, from + rules.DiaryReach(NearestWindows.WithinWeeks));
        await http.AuditReadAsync(database, new AuditEntry("waitlist.suggestions.read", referralId, null));
        return TypedResults.Ok(nearest.For(request, diaries));
    }

    public static async Task<Results<Ok<WindowAdded>, ProblemHttpResult>> AddWindowAsync(string referralId, AddWindowRequest request,
        SchedulingDatabase database, CourseBooker booker, IClock clock, HttpContext http)
    {
        var errors = new Dictionary<string, string[]>();
        if (!Enum.TryParse<DayOfWeek>(request.Day, ignoreCase: false, out var day) || !Enum.IsDefined(day) || int.TryParse(request.Day, out _))
            errors["day"] = ["Monday, Tuesday, … or Sunday."];
        if (!TimeOnly.TryParseExact(request.From ?? "", "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var from)) errors["from"] = ["A time, HH:mm."];
        if (!TimeOnly.TryParseExact(request.To ?? "", "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var to)) errors["to"] = ["A time, HH:mm."];
        else if (!errors.ContainsKey("from") && to <= from) errors["to"] = ["After from."];
        if (string.IsNullOrWhiteSpace(request.Reason) || request.Reason.Length > 500) errors["reason"] = ["Required (what the patient agreed to), at most 500 characters."];
        if (errors.Count > 0) return Problems.BadRequest(errors);
        if (!Guid.TryParse(referralId, out var id)) return Problems.NotFound("No such waiting referral");

        var window = new AvailabilityWindow(day, from, to);
        var added = await database.InTransactionAsync<WindowAdded?>(async (connection, transaction) =>
        {
            await database.Dialect.LockAsync(connection, transaction, id);
            if (await WaitingAsync(connection, transaction, referralId, database.Dialect.ClaimRowsSuffix) is not { } waiting) return null;
            var referral = waiting with { Availability = [.. waiting.Availability, window] };
            var now = clock.GetCurrentInstant();
            var windowJson = JsonSerializer.Serialize(window, MessageJson.Options);
            await connection.ExecuteAsync("update waitlist set request_json = @json where referral_id = @referralId",
                new { referralId, json = JsonSerializer.Serialize(referral, MessageJson.Options) }, transaction);
            await connection.ExecuteAsync(
                "insert into window_changes (referral_id, changed_at, changed_by, window_json, reason) values (@referralId, @now, @by, @windowJson, @reason)",
                new { referralId, now = now.ToUnixTimeMilliseconds(), by = http.Actor(ApiKeyAuthentication.Coordinator).ToString(), windowJson, reason = request.Reason!.Trim() },
                transaction);
            await http.AuditAsync(connection, transaction, database, new AuditEntry("waitlist.window-added", referralId, null,
                [new FieldChange("availability", null, $"{day} {from.ToString("HH:mm", CultureInfo.InvariantCulture)}–{to.ToString("HH:mm", CultureInfo.InvariantCulture)}"), FieldChange.Withheld("reason")]));
            var attempt = await booker.TryBookAsync(connection, transaction, referral);
            return attempt.Booked is { } booked
                ? new WindowAdded(true, booked.CourseId, booked.Sessions[0].LocalStart.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture), null)
                : new WindowAdded(false, null, null, attempt.WaitReason);
        });
        return added is null ? Problems.NotFound("No such waiting referral") : TypedResults.Ok(added);
    }

    public static async Task<Ok<List<WaitlistEntry>>> ListAsync(SchedulingDatabase database, IClock clock, HttpContext http)
    {
        await using var connection = await database.OpenAsync();
        var now = clock.GetCurrentInstant();
        var rows = await connection.QueryAsync<(string ReferralId, string Reason, long Since, long? LastTried)>(
            "select referral_id, reason, since, last_tried from waitlist order by since, referral_id");
        await http.AuditReadsAsync(database, rows.Select(r => new AuditEntry("waitlist.read", r.ReferralId, null)));
        return TypedResults.Ok(rows.Select((r, i) =>
        {
            var since = Instant.FromUnixTimeMilliseconds(r.Since);
            var lastTried = Instant.FromUnixTimeMilliseconds(r.LastTried ?? r.Since);
            return new WaitlistEntry(i + 1, Guid.Parse(r.ReferralId), r.Reason, since.ToDateTimeOffset(), (int)(now - since).TotalMinutes,
                lastTried.ToDateTimeOffset());
        }).ToList());
    }
}
