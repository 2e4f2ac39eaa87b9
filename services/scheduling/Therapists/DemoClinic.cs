namespace Dit.Scheduling.Therapists;

/// <summary>
/// <c>Scheduling:DemoClinic</c> = true: a roster with no therapist gets six demo therapists at start, covering 07:00–23:00
/// every day (two early, one middle and three late shifts, 30 sessions a week each), so that a referral is booked with
/// nothing else set up — the development host, and the Compose stack with <c>DIT_DEMO_CLINIC=true</c>.
/// </summary>
public sealed class DemoClinic(SchedulingDatabase scheduling, IClock clock) : IHostedService
{
    public sealed class Settings
    {
        public const string Section = "Scheduling";

        public bool DemoClinic { get; set; }
    }

    private static readonly (string Name, LocalTime From, LocalTime To)[] Therapists =
    [
        ("Dr Asha Patel", new(7, 0), new(15, 0)),
        ("Sam Okafor", new(7, 0), new(15, 0)),
        ("Dr Megan Lewis", new(11, 0), new(19, 0)),
        ("Tom Brennan", new(15, 0), new(23, 0)),
        ("Priya Shah", new(15, 0), new(23, 0)),
        ("Dr Gareth Jones", new(15, 0), new(23, 0)),
    ];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (await TherapistRoster.CountAsync(scheduling) > 0) return;
        foreach (var (name, from, to) in Therapists)
            await TherapistRoster.AddAsync(scheduling, name, maxSessionsPerWeek: 30,
                Enum.GetValues<IsoDayOfWeek>().Where(d => d != IsoDayOfWeek.None).Select(d => new WeeklyHours(d, from, to)), clock.GetCurrentInstant());
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
