using Dit.Contracts;
using Dapper;
using Dit.Platform.Http;
using Dit.Scheduling.Booking;
using Dit.Scheduling.Coordinators;
using Dit.Scheduling.Waitlist;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;

namespace Dit.Scheduling.Therapists;

/// <summary>A closed day as listed: the date, its name, and whether it is a bank holiday (by rule) or a day a coordinator added.</summary>
public sealed record ClosedDayView(string Date, string Name, bool BankHoliday);
