using Dapper;
using Dit.Contracts;
using Dit.Platform.Data;
using Dit.Platform.Http;
using Dit.Platform.Messaging;
using Dit.Scheduling.Coordinators;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;

namespace Dit.Scheduling.Review;

public sealed record CloseRequest(string? Reason);
