namespace Dit.Testing;

/// <summary>The mail pickup folder as a test sees it: whole messages only, oldest first.</summary>
public static class PickupFolder
{
    /// <summary>
    /// The messages once at least <paramref name="count"/> are complete, or whatever is there after
    /// <paramref name="seconds"/>. A message being written is not yet complete: its last MIME boundary
    /// (<c>--boundary--</c>) is still missing.
    /// </summary>
    public static async Task<string[]> WaitForMailsAsync(string folder, int count, int seconds = 30)
    {
        string[] complete = [];
        for (var waited = 0; waited < seconds * 10; waited++)
        {
            var files = Directory.Exists(folder) ? Directory.GetFiles(folder, "*.eml").OrderBy(File.GetLastWriteTimeUtc).ThenBy(f => f).ToArray() : [];
            var texts = new List<string>();
            foreach (var file in files)
            {
                try { texts.Add(await File.ReadAllTextAsync(file)); }
                catch (IOException) { }
            }
            complete = texts.Where(t => t.TrimEnd().EndsWith("--", StringComparison.Ordinal)).ToArray();
            if (complete.Length >= count) break;
            await Task.Delay(100);
        }
        return complete;
    }
}
