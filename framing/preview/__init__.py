"""The live preview: a server that rebuilds on every save and reloads the browser."""
