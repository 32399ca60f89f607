from briefex.cli import app

app()
