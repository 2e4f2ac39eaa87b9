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
        waitlist.MapGet("/late-starts", LateStartsAsync)
            .WithSummary("Booked courses whose first session is more than 6 weeks after the later of now and the patient's earliest start, soonest first");
        waitlist.MapGet("/{referralId}/suggestions", SuggestionsAsync)
            .WithSummary("For a waiting referral or a late start: the weekly hours nearest the patient's own at which a course would start within 6 weeks (and, for a late start, sooner than booked; patient's time), up to 3");
        waitlist.MapPost("/{referralId}/windows", AddWindowAsync)
            .WithSummary("Add a weekly window the patient agreed to, with the reason: a waiting referral is booked at once if a course now fits; a late start is brought forward as a whole (409 when nothing sooner fits, nothing changed)");
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
        CourseBooker booker, BookingRules rules, NearestWindows nearest, IClock clock, HttpContext http)
    {
        if (!Guid.TryParse(referralId, out _)) return Problems.NotFound(NotWaiting);
        await using var connection = await database.OpenAsync();
        var now = clock.GetCurrentInstant();
        var closed = await ClosedDays.LoadAsync(connection, null);
        var waiting = await WaitingAsync(connection, null, referralId);
        var late = waiting is null ? await LateCourse.ForReferralAsync(connection, null, referralId, now) : null;
        if (waiting is null && late is null) return Problems.NotFound(NotWaiting);
        var request = waiting is not null ? booker.RequestFor(waiting, closed) : late!.RequestFor(closed, now, rules);
        var from = CourseSearch.NotBefore(request);
        var diaries = await Diaries.LoadAsync(connection, null, from, from + rules.DiaryReach(NearestWindows.WithinWeeks));
        await http.AuditReadAsync(database, new AuditEntry("waitlist.suggestions.read", referralId, late?.CourseId));
        return TypedResults.Ok(late is null ? nearest.For(request, diaries) : nearest.For(request, late.Without(diaries), before: late.FirstStart));
    }

    private const string NotWaiting = "No such waiting referral or late start";

    public static async Task<Ok<List<LateStartEntry>>> LateStartsAsync(SchedulingDatabase database, IClock clock, HttpContext http)
    {
        await using var connection = await database.OpenAsync();
        var now = clock.GetCurrentInstant();
        var late = await LateCourse.ListAsync(connection, now);
        await http.AuditReadsAsync(database, late.Select(c => new AuditEntry("waitlist.late-starts.read", c.ReferralId, c.CourseId)));
        return TypedResults.Ok(late.Select(c => new LateStartEntry(Guid.Parse(c.ReferralId), Guid.Parse(c.CourseId), c.PatientInitials, c.TherapistName,
            c.FirstLocalStart, (int)((c.FirstStart - c.CouldStart).TotalDays / 7))).ToList());
    }

    public static async Task<Results<Ok<WindowAdded>, ProblemHttpResult>> AddWindowAsync(string referralId, AddWindowRequest request,
        SchedulingDatabase database, CourseBooker booker, CourseBringForward bringForward, IClock clock, HttpContext http)
    {
        var errors = new Dictionary<string, string[]>();
        if (!Enum.TryParse<DayOfWeek>(request.Day, ignoreCase: false, out var day) || !Enum.IsDefined(day) || int.TryParse(request.Day, out _))
            errors["day"] = ["Monday, Tuesday, … or Sunday."];
        if (!TimeOnly.TryParseExact(request.From ?? "", "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var from)) errors["from"] = ["A time, HH:mm."];
        if (!TimeOnly.TryParseExact(request.To ?? "", "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var to)) errors["to"] = ["A time, HH:mm."];
        else if (!errors.ContainsKey("from") && to <= from) errors["to"] = ["After from."];
        if (string.IsNullOrWhiteSpace(request.Reason) || request.Reason.Length > 500) errors["reason"] = ["Required (what the patient agreed to), at most 500 characters."];
        if (errors.Count > 0) return Problems.BadRequest(errors);
        if (!Guid.TryParse(referralId, out var id)) return Problems.NotFound(NotWaiting);

        var window = new AvailabilityWindow(day, from, to);
        var by = http.Actor(ApiKeyAuthentication.Coordinator);
        string? refusal = null;
        var added = await database.InTransactionAsync<WindowAdded?>(async (connection, transaction) =>
        {
            await database.Dialect.LockAsync(connection, transaction, id);
            var now = clock.GetCurrentInstant();
            if (await WaitingAsync(connection, transaction, referralId, database.Dialect.ClaimRowsSuffix) is { } waiting)
            {
                var referral = waiting with { Availability = [.. waiting.Availability, window] };
                await connection.ExecuteAsync("update waitlist set request_json = @json where referral_id = @referralId",
                    new { referralId, json = JsonSerializer.Serialize(referral, MessageJson.Options) }, transaction);
                await RecordAsync(connection, transaction, database, http, referralId, null, window, by, request.Reason!, now);
                var attempt = await booker.TryBookAsync(connection, transaction, referral);
                return attempt.Booked is { } booked
                    ? new WindowAdded(true, booked.CourseId, booked.Sessions[0].LocalStart.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture), null)
                    : new WindowAdded(false, null, null, attempt.WaitReason);
            }
            if (await LateCourse.ForReferralAsync(connection, transaction, referralId, now) is not { } late) return null;
            await CourseRow.LockAsync(connection, transaction, late.CourseId);
            var (moved, why) = await bringForward.BringForwardAsync(connection, transaction, late, window, by);
            if (moved is null)
            {
                refusal = why;
                return null;
            }
            await RecordAsync(connection, transaction, database, http, referralId, late.CourseId, window, by, request.Reason!, now);
            return new WindowAdded(true, moved.CourseId, moved.Sessions[0].NewLocalStart.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture), null);
        });
        if (refusal is not null) return Problems.Conflict("The course stays as booked", refusal);
        return added is null ? Problems.NotFound(NotWaiting) : TypedResults.Ok(added);
    }

    /// <summary>The window added, as the coordinator's change with the reason (window_changes), and on the audit trail.</summary>
    private static async Task RecordAsync(DbConnection connection, DbTransaction transaction, SchedulingDatabase database, HttpContext http,
        string referralId, string? courseId, AvailabilityWindow window, Actor by, string reason, Instant now)
    {
        await connection.ExecuteAsync(
            "insert into window_changes (referral_id, changed_at, changed_by, window_json, reason) values (@referralId, @now, @by, @windowJson, @reason)",
            new { referralId, now = now.ToUnixTimeMilliseconds(), by = by.ToString(), windowJson = JsonSerializer.Serialize(window, MessageJson.Options), reason = reason.Trim() },
            transaction);
        await http.AuditAsync(connection, transaction, database, new AuditEntry("waitlist.window-added", referralId, courseId,
            [new FieldChange("availability", null, $"{window.Day} {window.From.ToString("HH:mm", CultureInfo.InvariantCulture)}–{window.To.ToString("HH:mm", CultureInfo.InvariantCulture)}"), FieldChange.Withheld("reason")]));
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
