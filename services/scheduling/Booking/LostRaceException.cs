using System.Data.Common;
using System.Text.Json;
using Dapper;
using Dit.Contracts;
using Dit.Platform.Messaging;
using NodaTime;
using NodaTime.Text;

namespace Dit.Scheduling.Booking;

/// <summary>Another booking took the time or the therapist's weekly capacity first: search again.</summary>
public sealed class LostRaceException(string message) : TransientFaultException(message);
