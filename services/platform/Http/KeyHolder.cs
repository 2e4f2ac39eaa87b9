namespace Dit.Platform.Http;

public sealed record KeyHolder(string Id, string Name, long CreatedAt, long? RevokedAt);

/// <summary>A personal key as its person sees it in the list (never the key itself).</summary>
public sealed record PersonalKey(string Id, string Label, string Roles, long CreatedAt, long? ExpiresAt, long? RevokedAt);
