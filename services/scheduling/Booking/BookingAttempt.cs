using System.Data.Common;
using System.Text.Json;
using Dapper;
using Dit.Contracts;
using Dit.Platform.Messaging;
using NodaTime;
using NodaTime.Text;

namespace Dit.Scheduling.Booking;

/// <summary>A booking attempt: the course booked, or why nothing fits yet, or nothing because the referral was withdrawn.</summary>
public sealed record BookingAttempt(CourseBooked? Booked, string? WaitReason, bool Withdrawn = false);
