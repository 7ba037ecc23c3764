"""The redistribution pages, one blueprint per part of the work."""
from app.redistribution.views.execution import bp as execution_bp
from app.redistribution.views.meetings import bp as meetings_bp
from app.redistribution.views.national import bp as national_bp
from app.redistribution.views.rounds import bp as rounds_bp

blueprints = (rounds_bp, meetings_bp, execution_bp, national_bp)
