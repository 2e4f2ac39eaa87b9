using System.Net;
using System.Text;

namespace Dit.Scheduling.Progress;

/// <summary>
/// The patient's questionnaire at <c>/questionnaire/{token}</c>: plain HTML, no script, nothing loaded from elsewhere, no
/// login — the link's token (notifications mailed it, only its hash is kept) is the key to one session's form. It opens
/// until the session is over; answers may be corrected until the session starts.
/// </summary>
public static class QuestionnairePage
{
    public static IEndpointRouteBuilder MapQuestionnairePage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/questionnaire/{token}", ShowAsync).ExcludeFromDescription().RequireRateLimiting(RateLimits.PrivateLink);
        app.MapPost("/questionnaire/{token}", SubmitAsync).ExcludeFromDescription().DisableAntiforgery().RequireRateLimiting(RateLimits.PrivateLink);
        return app;
    }

    private sealed record Link(string CourseId, long SessionNumber, long StartUtc, long EndUtc, string AppointmentStatus, string CourseStatus,
        string TimeZone, long LastSession)
    {
        /// <summary>The session still takes place and is not over.</summary>
        public bool IsOpen(long now) => AppointmentStatus == "booked" && CourseStatus == "booked" && now < EndUtc;
    }

    private static async Task<Link?> FindAsync(SchedulingDatabase database, string token)
    {
        if (token.Length is < 20 or > 100) return null;
        await using var connection = await database.OpenAsync();
        return await connection.QuerySingleOrDefaultAsync<Link>(
            """
            select l.course_id as CourseId, l.session_number as SessionNumber, a.start_utc as StartUtc, a.end_utc as EndUtc,
                   a.status as AppointmentStatus, c.status as CourseStatus, c.time_zone as TimeZone,
                   (select max(session_number) from appointments where course_id = l.course_id) as LastSession
            from questionnaire_links l
            join appointments a on a.course_id = l.course_id and a.session_number = l.session_number
            join courses c on c.id = l.course_id
            where l.token_hash = @hash
            """, new { hash = ApiKeys.Hash(token) });
    }

    public static async Task<IResult> ShowAsync(string token, SchedulingDatabase database, IClock clock)
    {
        var link = await FindAsync(database, token);
        var now = clock.GetCurrentInstant().ToUnixTimeMilliseconds();
        if (link is null) return Page(404, "This link does not work", Paragraph("Please check you used the whole link from your email. If it still does not work, your clinic can record your answers with you at your session."));
        if (!link.IsOpen(now))
            return Page(410, "This questionnaire has closed", Paragraph("The session it was for is over or no longer takes place. Your clinic will send a new link before your next session."));
        await using var connection = await database.OpenAsync();
        var stored = (await SessionScores.ForCourseAsync(connection, null, link.CourseId)).SingleOrDefault(s => s.SessionNumber == link.SessionNumber);
        var saved = stored is null ? null : SessionScoresView.From(stored);
        return Form(link, now, saved is null ? new Dictionary<string, int>() : Given(saved), new Dictionary<string, string>(),
            saved is not null && now < link.StartUtc ? "Your answers are saved. You can change them until your session starts." : null, saved?.Risk ?? false);
    }

    public static async Task<IResult> SubmitAsync(string token, HttpRequest request, SchedulingDatabase database, IClock clock)
    {
        var link = await FindAsync(database, token);
        var now = clock.GetCurrentInstant();
        if (link is null) return Page(404, "This link does not work", Paragraph("Nothing was saved. Please check you used the whole link from your email."));
        if (!link.IsOpen(now.ToUnixTimeMilliseconds()))
            return Page(410, "This questionnaire has closed", Paragraph("Nothing was saved: the session it was for is over or no longer takes place."));
        if (now.ToUnixTimeMilliseconds() >= link.StartUtc)
            return Page(409, "Your session has started", Paragraph("Answers can be changed only until the session starts. Nothing was changed; tell your therapist if something is different."));

        var form = request.HasFormContentType ? await request.ReadFormAsync() : null;
        var measures = Questionnaires.For((int)link.SessionNumber, (int)link.LastSession);
        var given = new Dictionary<string, int>();
        var raw = measures.ToDictionary(q => q.Id, q => (IReadOnlyList<int?>?)Enumerable.Range(1, q.Items.Count).Select(i =>
        {
            int? value = int.TryParse(form?[$"{q.Id}.{i}"].ToString(), out var parsed) ? parsed : null;
            if (value is not null) given[$"{q.Id}.{i}"] = value.Value;   // shown again, checked, if the form is refused
            return value;
        }).ToList());
        var (answers, errors) = SessionAnswers.Check(measures, raw);
        if (answers is null) return Form(link, now.ToUnixTimeMilliseconds(), given, errors, null, false);
        await database.InTransactionAsync(async (connection, transaction) =>
        {
            await SessionScores.RecordAsync(connection, transaction, link.CourseId, (int)link.SessionNumber, answers, "patient", now);
            return true;
        });
        var start = Instant.FromUnixTimeMilliseconds(link.StartUtc).InZone(DateTimeZoneProviders.Tzdb[link.TimeZone]);
        var body = Paragraph($"Thank you. Your answers for session {link.SessionNumber} are saved, and your therapist will look at them with you. " +
                             $"You can change them with the same link until the session starts ({Describe(start)}).")
                   + UrgentHelp(prominent: answers.RiskAnswered);
        return Page(200, "Thank you", body, role: "status");
    }

    private static Dictionary<string, int> Given(SessionScoresView scores)
    {
        var given = new Dictionary<string, int>();
        void Add(string id, IReadOnlyList<int>? items) { for (var i = 0; items is not null && i < items.Count; i++) given[$"{id}.{i + 1}"] = items[i]; }
        Add("phq9", scores.Phq9Items);
        Add("gad7", scores.Gad7Items);
        Add("wsas", scores.WsasItems);
        return given;
    }

    private static IResult Form(Link link, long now, IReadOnlyDictionary<string, int> given, IReadOnlyDictionary<string, string> errors, string? notice, bool risk)
    {
        var start = Instant.FromUnixTimeMilliseconds(link.StartUtc).InZone(DateTimeZoneProviders.Tzdb[link.TimeZone]);
        var locked = now >= link.StartUtc;
        var html = new StringBuilder();
        if (errors.Count > 0)
        {
            html.Append("<div class=\"errors\" role=\"alert\" tabindex=\"-1\" id=\"errors\"><h2>Some answers are missing</h2><ul>");
            foreach (var (field, message) in errors) html.Append($"<li><a href=\"#{E(field)}\">{E(message)}</a></li>");
            html.Append("</ul><p>Nothing was saved yet. Answer each question, then send again.</p></div>");
        }
        if (notice is not null) html.Append($"<p class=\"notice\" role=\"status\">{E(notice)}</p>");
        if (risk) html.Append(UrgentHelp(prominent: true));
        html.Append(Paragraph($"Before your session {link.SessionNumber} on {Describe(start)}. Your therapist will look at your answers with you. " +
                              "It takes about five minutes. Answer every question."));
        if (locked) html.Append(Paragraph("Your session has started: these answers can no longer be changed."));
        html.Append("<form method=\"post\" novalidate>");
        foreach (var questionnaire in Questionnaires.For((int)link.SessionNumber, (int)link.LastSession))
        {
            html.Append($"<section aria-labelledby=\"{questionnaire.Id}-title\"><h2 id=\"{questionnaire.Id}-title\">{E(questionnaire.Title)}</h2>");
            html.Append($"<p class=\"stem\">{E(questionnaire.Question)}</p>");
            for (var i = 0; i < questionnaire.Items.Count; i++)
            {
                var name = $"{questionnaire.Id}.{i + 1}";
                var error = errors.GetValueOrDefault(name);
                html.Append($"<fieldset id=\"{name}\" class=\"{(error is null ? "item" : "item invalid")}\"{(error is null ? "" : $" aria-describedby=\"{name}-error\"")}>");
                html.Append($"<legend>{i + 1}. {E(questionnaire.Items[i])}</legend>");
                if (error is not null) html.Append($"<p class=\"error\" id=\"{name}-error\">{E(error)}</p>");
                foreach (var option in questionnaire.Options)
                {
                    var id = $"{name}-{option.Value}";
                    var chosen = given.TryGetValue(name, out var value) && value == option.Value ? " checked" : "";
                    html.Append($"<label for=\"{id}\"><input type=\"radio\" id=\"{id}\" name=\"{name}\" value=\"{option.Value}\"{chosen}{(locked ? " disabled" : "")}> {E(option.Label)}</label>");
                }
                html.Append("</fieldset>");
            }
            html.Append("</section>");
        }
        if (!locked) html.Append("<button type=\"submit\">Send my answers</button>");
        html.Append("</form>");
        if (!risk) html.Append(UrgentHelp(prominent: false));
        return Page(errors.Count > 0 ? 400 : 200, $"How you have been: session {link.SessionNumber}", html.ToString());
    }

    private static string Describe(ZonedDateTime start) =>
        start.ToString("dddd d MMMM 'at' HH:mm", System.Globalization.CultureInfo.GetCultureInfo("en-GB"));

    /// <summary>Where urgent help is. Shown on every page, and first and in full when PHQ-9 item 9 was answered above 0.</summary>
    private static string UrgentHelp(bool prominent) =>
        $"""
        <aside class="{(prominent ? "urgent prominent" : "urgent")}" aria-labelledby="urgent-title"{(prominent ? " role=\"alert\"" : "")}>
        <h2 id="urgent-title">{(prominent ? "You said you have had thoughts of being better off dead or of hurting yourself" : "If you need help now")}</h2>
        {(prominent ? "<p>Your clinic will see this and be in touch. Please do not wait for your session if you feel unsafe.</p>" : "")}
        <p>This questionnaire is not watched around the clock and is not an emergency service.</p>
        <ul>
        <li>If your life is at risk now, call <a href="tel:999">999</a> or go to A&amp;E.</li>
        <li>For urgent help that is not an emergency, call NHS <a href="tel:111">111</a> (choose the mental health option) or use 111.nhs.uk.</li>
        <li>Samaritans listen day or night: call <a href="tel:116123">116 123</a>, free.</li>
        </ul>
        </aside>
        """;

    private static string Paragraph(string text) => $"<p>{E(text)}</p>";

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static IResult Page(int status, string title, string body, string? role = null) => PatientPage.Html(status, title, body, role);
}
