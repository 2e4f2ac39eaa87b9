using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Dit.Platform;

/// <summary>
/// Traces and metrics (OpenTelemetry), exported over OTLP/HTTP to <c>Telemetry:Otlp:Endpoint</c> when it is set; with
/// no endpoint nothing is collected and nothing leaves the process. One trace runs from <c>POST /api/referrals</c>
/// through booking to the invite: ASP.NET Core, MassTransit and Npgsql spans, and ours where work waits in a table
/// (the outboxes, the mail queue) and would otherwise start a trace of its own. Spans and metrics carry ids and
/// counts, never patient data.
/// </summary>
public static class Telemetry
{
    public const string Name = "Dit";

    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    public static readonly Counter<long> ReferralsAccepted =
        Meter.CreateCounter<long>("dit.referrals.accepted", description: "Referrals accepted by intake (posted or submitted on the bus), for booking or for review");

    public static readonly Counter<long> CoursesBooked = Meter.CreateCounter<long>("dit.courses.booked", description: "Courses booked");

    public static readonly Counter<long> CoursesWaitlisted =
        Meter.CreateCounter<long>("dit.courses.waitlisted", description: "Referrals put on the waitlist (nothing fits yet)");

    public static readonly Counter<long> MailFailed = Meter.CreateCounter<long>("dit.mail.failed",
        description: "Mail sends that failed, by outcome: retry (the server failed), rejected (refused, will retry), undeliverable (given up)");

    /// <summary>
    /// The service-level counters, counted when the message announcing the event is published from the outbox: the row
    /// exists if and only if the change committed, so a booking that lost a race and was rolled back is never counted.
    /// </summary>
    private static readonly Dictionary<string, Counter<long>> CountedWhenPublished = new()
    {
        [typeof(Contracts.ReferralForBooking).FullName!] = ReferralsAccepted,
        [typeof(Contracts.ReferralNeedsReview).FullName!] = ReferralsAccepted,
        [typeof(Contracts.CourseBooked).FullName!] = CoursesBooked,
        [typeof(Contracts.CourseWaitlisted).FullName!] = CoursesWaitlisted,
    };

    /// <summary>Counts a message the outbox relay has published (by its contract's full name).</summary>
    public static void CountPublished(string messageType)
    {
        if (CountedWhenPublished.TryGetValue(messageType, out var counter)) counter.Add(1);
    }

    private static readonly ConcurrentDictionary<string, double> OutboxAges = new();

    static Telemetry() =>
        Meter.CreateObservableGauge("dit.outbox.oldest_unsent_age", () => OutboxAges.Select(age =>
            new Measurement<double>(age.Value, new KeyValuePair<string, object?>("service", age.Key))), "s",
            "Age of the oldest message in the service's outbox not yet published (0 when none waits)");

    /// <summary>The outbox relay's latest reading of its oldest unsent row.</summary>
    public static void RecordOutboxAge(string service, TimeSpan age) => OutboxAges[service] = age.TotalSeconds;

    /// <summary>
    /// A span continuing the trace that queued some work (<paramref name="traceParent"/>, a W3C <c>traceparent</c> kept with
    /// the row), or null when nobody listens or the row has none.
    /// </summary>
    public static Activity? Continue(string name, string? traceParent, ActivityKind kind = ActivityKind.Internal) =>
        traceParent is null ? null : Source.StartActivity(name, kind, traceParent);

    /// <summary>The current trace, to keep with a row whose work happens later (outbox, mail queue).</summary>
    public static string? CurrentTraceParent => Activity.Current?.Id is { } id && Activity.Current.IdFormat == ActivityIdFormat.W3C ? id : null;

    /// <summary>Traces and metrics for <paramref name="serviceName"/>, exported when <c>Telemetry:Otlp:Endpoint</c> is set.</summary>
    public static WebApplicationBuilder AddServiceTelemetry(this WebApplicationBuilder builder, string serviceName)
    {
        var settings = Settings.Read<TelemetrySettings>(builder.Configuration, TelemetrySettings.Section);
        if (string.IsNullOrWhiteSpace(settings.Otlp.Endpoint)) return builder;
        var endpoint = new Uri(settings.Otlp.Endpoint);
        var exportSeconds = settings.ExportSeconds;
        void Otlp(OtlpExporterOptions options, string signal)
        {
            options.Protocol = OtlpExportProtocol.HttpProtobuf;
            options.Endpoint = new Uri(endpoint, $"v1/{signal}");
        }
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(options =>
                {
                    options.Filter = context => !context.Request.Path.StartsWithSegments("/health");
                    // A private link's span keeps its route, never its token (PrivateLinkRoutes).
                    options.EnrichWithHttpRequest = (activity, request) =>
                    {
                        if (request.HttpContext.RequestServices.GetService(typeof(Http.PrivateLinkRoutes)) is Http.PrivateLinkRoutes routes
                            && routes.IsPrivate(request.Path.Value))
                            activity.SetTag("url.path", routes.Redact(request.Path.Value!));
                    };
                })
                .AddSource("MassTransit", "Npgsql", Name)
                .AddOtlpExporter(options =>
                {
                    Otlp(options, "traces");
                    options.BatchExportProcessorOptions.ScheduledDelayMilliseconds = exportSeconds * 1000;
                }))
            .WithMetrics(metrics => metrics
                .AddMeter(Name)
                .AddOtlpExporter((options, reader) =>
                {
                    Otlp(options, "metrics");
                    reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = exportSeconds * 1000;
                }));
        return builder;
    }
}
