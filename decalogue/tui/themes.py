"""The workbench's themes, and a high-contrast one whose text meets WCAG AA (4.5:1).

The high-contrast theme is pure black and white with saturated accents chosen
for their contrast against black; tests/tui/test_contrast.py renders real
screens in it and checks every text/background pair it draws.
"""

from __future__ import annotations

from textual.theme import Theme

HIGH_CONTRAST = Theme(
    name="decalogue-high-contrast",
    primary="#FFD700",
    secondary="#00FFFF",
    accent="#FFD700",
    warning="#FFB000",
    error="#FF6B6B",
    success="#5CFF5C",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#1A1A1A",
    boost="#262626",
    dark=True,
    luminosity_spread=0.3,
    text_alpha=1.0,
    variables={
        "text-muted": "#FFFFFF",
        "text-disabled": "#D0D0D0",
        "footer-key-foreground": "#FFD700",
        "footer-description-foreground": "#FFFFFF",
        "footer-background": "#1A1A1A",
        "footer-key-background": "#1A1A1A",
        "block-cursor-foreground": "#000000",
        "block-cursor-background": "#FFD700",
        "block-cursor-text-style": "bold",
        "block-cursor-blurred-foreground": "#FFFFFF",
        "block-cursor-blurred-background": "#404040",
        "block-hover-background": "#262626",
        "input-cursor-foreground": "#000000",
        "input-cursor-background": "#FFFFFF",
        "input-selection-background": "#FFD700 40%",
        "scrollbar": "#D0D0D0",
        "scrollbar-background": "#1A1A1A",
        "border": "#FFFFFF",
        "border-blurred": "#D0D0D0",
        "markdown-h1-color": "#FFD700",
        "markdown-h2-color": "#FFD700",
        "markdown-h3-color": "#FFFFFF",
        "button-foreground": "#FFFFFF",
        "button-color-foreground": "#000000",
        "link-color": "#00FFFF",
        "link-background-hover": "#262626",
    },
)

#: The themes the theme key cycles through, the default first.
THEMES = ("textual-dark", "textual-light", HIGH_CONTRAST.name)
