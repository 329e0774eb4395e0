namespace Serverless.App.Models.Cards;

/// <summary>A model card laid out for reading: titled sections of paragraphs and captioned tables, rendered as HTML or Markdown.</summary>
public sealed record CardDocument(string Title, IReadOnlyList<CardSection> Sections);

/// <summary>One section; <paramref name="Paragraphs"/> are plain text (renderers escape them).</summary>
public sealed record CardSection(string Heading, IReadOnlyList<string> Paragraphs, IReadOnlyList<CardTable> Tables);

public sealed record CardTable(string Caption, IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<string>> Rows);
