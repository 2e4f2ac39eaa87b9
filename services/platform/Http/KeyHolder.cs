namespace Dit.Platform.Http;

public sealed record KeyHolder(string Id, string Name, long CreatedAt, long? RevokedAt);
