using System.Text.Json;
using Dapper;
using Dit.Contracts;
using NodaTime;

namespace Dit.Scheduling.Progress;

public sealed record Caseness(int Phq9, int Gad7);
