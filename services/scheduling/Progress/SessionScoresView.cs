using System.Text.Json;

namespace Dit.Scheduling.Progress;

public sealed record SessionScoresView(int Phq9, int Gad7, int? Wsas, IReadOnlyList<int> Phq9Items, IReadOnlyList<int> Gad7Items,
    IReadOnlyList<int>? WsasItems, bool Risk, string RecordedBy, DateTimeOffset RecordedAt)
{
    public static SessionScoresView From(StoredScores s)
    {
        var phq9Items = JsonSerializer.Deserialize<int[]>(s.Phq9Items)!;
        return new SessionScoresView((int)s.Phq9, (int)s.Gad7, (int?)s.Wsas, phq9Items, JsonSerializer.Deserialize<int[]>(s.Gad7Items)!,
            s.WsasItems is null ? null : JsonSerializer.Deserialize<int[]>(s.WsasItems), phq9Items[8] > 0,
            s.RecordedBy == "patient" ? "patient" : "clinic", Instant.FromUnixTimeMilliseconds(s.RecordedAt).ToDateTimeOffset());
    }
}
