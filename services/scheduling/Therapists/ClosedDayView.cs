namespace Dit.Scheduling.Therapists;

/// <summary>A closed day as listed: the date, its name, and whether it is a bank holiday (by rule) or a day a coordinator added.</summary>
public sealed record ClosedDayView(string Date, string Name, bool BankHoliday);
