using System.Reflection;

namespace Dit.Platform.Messaging;

/// <summary>The assemblies whose consumers this process runs (every service it hosts).</summary>
public sealed record ConsumerAssemblies(IReadOnlyList<Assembly> Assemblies);
