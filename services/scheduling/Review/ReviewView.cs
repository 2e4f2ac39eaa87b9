using Dapper;
using Dit.Contracts;
using Dit.Platform.Data;
using Dit.Platform.Http;
using Dit.Platform.Messaging;
using Dit.Scheduling.Coordinators;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;

namespace Dit.Scheduling.Review;

/// <param name="Attention">Why booking could not take the referral (null for a referral that reported risk): put it right, then accept to book it again.</param>
public sealed record ReviewView(Guid ReferralId, string ReferrerReference, string? RiskNotes, string? PresentingProblem,
    string EarliestStart, DateTimeOffset ReceivedAt, int WaitingMinutes, string? Attention = null);
