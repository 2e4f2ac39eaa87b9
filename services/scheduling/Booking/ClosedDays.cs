using NodaTime.Text;

namespace Dit.Scheduling.Booking;

/// <summary>
/// The days the whole service is closed: every England and Wales bank holiday (<see cref="BankHolidays"/>),
/// less those a coordinator opened, plus the one-off days a coordinator added. Nothing runs out: any year works.
/// </summary>
public sealed class ClosedDays(IReadOnlyDictionary<LocalDate, string> added, IReadOnlySet<LocalDate> opened, bool bankHolidays = true)
{
    private static readonly LocalDatePattern Iso = LocalDatePattern.Iso;

    public static ClosedDays None { get; } = new(new Dictionary<LocalDate, string>(), new HashSet<LocalDate>(), bankHolidays: false);

    /// <summary>Exactly these days and no bank holidays (pure tests of the search).</summary>
    public static ClosedDays Only(IEnumerable<LocalDate> days) =>
        new(days.ToDictionary(d => d, _ => "Closed"), new HashSet<LocalDate>(), bankHolidays: false);

    public bool Contains(LocalDate date) => Name(date) is not null;

    /// <summary>Why the service is closed that day, or null when it is open.</summary>
    public string? Name(LocalDate date)
    {
        if (added.TryGetValue(date, out var name)) return name;
        if (!bankHolidays || opened.Contains(date)) return null;
        return BankHolidays.In(date.Year).TryGetValue(date, out var holiday) ? holiday : null;
    }

    /// <summary>Closed days from <paramref name="from"/> to <paramref name="to"/> inclusive, in date order.</summary>
    public IEnumerable<(LocalDate Date, string Name, bool BankHoliday)> Between(LocalDate from, LocalDate to)
    {
        for (var date = from; date <= to; date = date.PlusDays(1))
            if (Name(date) is { } name) yield return (date, name, !added.ContainsKey(date));
    }

    public static async Task<ClosedDays> LoadAsync(DbConnection connection, DbTransaction? transaction)
    {
        var added = (await connection.QueryAsync<(string Day, string Name)>("select day, name from closed_days", transaction: transaction))
            .ToDictionary(d => Iso.Parse(d.Day).Value, d => d.Name);
        var opened = (await connection.QueryAsync<string>("select day from opened_days", transaction: transaction))
            .Select(d => Iso.Parse(d).Value).ToHashSet();
        return new ClosedDays(added, opened);
    }
}
