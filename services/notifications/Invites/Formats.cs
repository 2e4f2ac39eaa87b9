namespace Dit.Notifications.Invites;

public static class Formats
{
    public static readonly System.Globalization.CultureInfo English = System.Globalization.CultureInfo.GetCultureInfo("en-GB");

    public static string Describe(DateTime local) => local.ToString("dddd d MMMM yyyy 'at' HH:mm", English);
}
