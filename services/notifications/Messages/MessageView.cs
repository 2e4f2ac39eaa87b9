using Dapper;
using Dit.Platform.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;

namespace Dit.Notifications.Messages;

public sealed record MessageView(string Kind, string Channel, string To, DateTimeOffset At, string Outcome);
