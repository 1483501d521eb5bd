"""DynamoDB repositories, one per aggregate; they turn items into models and back."""
